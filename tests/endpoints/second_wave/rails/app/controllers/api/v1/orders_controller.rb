module Api
  module V1
    class OrdersController < ActionController::API
      def index
        render json: Order.recent
      end

      def show
        render json: Order.find_by!(number: params[:number])
      end
    end
  end
end
