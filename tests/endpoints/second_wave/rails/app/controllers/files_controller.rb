class FilesController < ApplicationController
  def download
    send_file Rails.root.join("storage", params[:path])
  end
end
