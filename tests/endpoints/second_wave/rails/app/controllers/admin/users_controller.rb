module Admin
  class UsersController < ApplicationController
    def index
      @users = User.order(:name)
    end

    def create
      User.create!(params.require(:user).permit(:name, :email))
    end

    def show
      @user = User.find(params[:id])
    end

    def update
      User.find(params[:id]).update!(params.require(:user).permit(:name))
    end

    def destroy
      User.find(params[:id]).destroy
    end
  end
end
